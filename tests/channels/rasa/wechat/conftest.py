"""Fixtures of the WeChat channel tests (defined in ``wechat_stack``)."""

from wechat_stack import make_stack, stack

__all__ = ["make_stack", "stack"]
