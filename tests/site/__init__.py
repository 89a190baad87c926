"""What holds across the whole site rather than one app: who may open what, what never
leaks, what every page costs and says, and the settings it runs with."""
