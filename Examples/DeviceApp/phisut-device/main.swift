print("phisut-device")
