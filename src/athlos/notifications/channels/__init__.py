"""The channels a notification is sent on besides the inbox: one module each."""
