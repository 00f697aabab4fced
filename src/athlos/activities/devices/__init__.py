"""Registered devices: watches and apps that record and upload with a token of their own."""
