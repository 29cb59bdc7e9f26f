"""The Moral Bank's actions: every change of the credit book goes through these functions."""
