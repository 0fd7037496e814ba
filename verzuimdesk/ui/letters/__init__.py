"""Screens for letters to parents: the "Brief maken" dialog, the template editor and the week's batch."""
