"""RQ workers: the entry point, the job functions and their periodic maintenance."""
