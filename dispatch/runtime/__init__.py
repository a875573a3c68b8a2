"""How the work runs: RQ jobs, the queue, the sweep that finds lost work, and the unit of work every entry point uses."""
