"""The app's screens: the job list, the wall, the monitor, and their pickers and help."""
