"""Complaint cases (投诉维权): filed by the bot, tracked by staff, readable by the tourist."""
