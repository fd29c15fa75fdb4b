print("phisut")
