// BrokerHTTP module
