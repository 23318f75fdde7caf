"""The citizen's side: accounts, my dossiers, the document wallet, reminders and life events."""
