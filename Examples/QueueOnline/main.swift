print("queue-online")
