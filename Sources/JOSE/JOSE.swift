// JOSE module
