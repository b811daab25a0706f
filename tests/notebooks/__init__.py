"""Every notebook in notebooks/ executed headless with nbclient."""
