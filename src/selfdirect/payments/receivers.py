"""What payments adds to lower apps' pages (none yet beyond the job kind)."""
