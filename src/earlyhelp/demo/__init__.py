"""Synthetic demonstration data of any size, generated reproducibly."""

from earlyhelp.demo._generate import demo_path, generate_demo, write_demo

__all__ = ["demo_path", "generate_demo", "write_demo"]
