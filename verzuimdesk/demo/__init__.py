"""The demo school: a fictional po school (:mod:`.builder`: school, groups and pupils; :mod:`.history`: two
school years of register; :mod:`.law`: its dealings with the law; :mod:`.people`, :mod:`.names`: who is in it)."""

from verzuimdesk.demo.builder import create_demo_school, ensure_demo
from verzuimdesk.demo.people import KLOKUREN, generate_bsn

__all__ = ["KLOKUREN", "create_demo_school", "ensure_demo", "generate_bsn"]
