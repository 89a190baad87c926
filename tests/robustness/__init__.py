"""Input and timing no person should send, sent anyway: bad and hostile values, double
submits and races. Nothing answers 500 and nothing happens twice."""
