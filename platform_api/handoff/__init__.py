"""Platform side of human handoff: active handoff per conversation and message queues both ways."""
