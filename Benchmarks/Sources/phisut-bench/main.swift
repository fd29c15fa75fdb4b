print("phisut-bench")
