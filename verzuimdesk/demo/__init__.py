"""The demo school: a fictional po school with two school years of register (:mod:`.builder`) and its
dealings with the law (:mod:`.law`); names and streets in :mod:`.names`."""

from verzuimdesk.demo.builder import KLOKUREN, create_demo_school, ensure_demo, generate_bsn

__all__ = ["KLOKUREN", "create_demo_school", "ensure_demo", "generate_bsn"]
