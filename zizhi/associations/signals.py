"""Signals other apps may listen to (they never reach into this app's models to find out)."""

from django.dispatch import Signal

# Sent after the transaction that wrote attested service records commits, with
# records=[ServiceRecord, ...] (originals of an attestation, or a correction's reversal and
# addition) and actor=the user who made them final. The Moral Bank credits them from it.
service_records_written = Signal()
