print("linkage-center")
