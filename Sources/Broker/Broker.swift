// Broker module
