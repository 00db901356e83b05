"""Systems (ICS footprints) and the HWB places within them, with their populations."""
