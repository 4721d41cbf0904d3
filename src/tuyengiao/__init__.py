"""tuyengiao: the working system of the propaganda and education offices."""
