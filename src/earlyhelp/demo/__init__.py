"""Synthetic demonstration data of any size, generated reproducibly, for any council's profile."""

from earlyhelp.demo._generate import demo_path, generate_demo, write_demo
from earlyhelp.demo._profiled import demo_shape
from earlyhelp.demo._shape import DemoShape, DemoTeam

__all__ = ["DemoShape", "DemoTeam", "demo_path", "demo_shape", "generate_demo", "write_demo"]
