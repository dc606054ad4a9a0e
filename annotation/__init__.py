"""Carry cleaned documents into Label Studio and bring annotations back."""
