"""lamin_lab."""
