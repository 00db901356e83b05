"""Pages that build and edit a capacity model on forms (a service, an interim option, the
settings at a time, or a new model from its first service); the YAML stays what is stored, and its
edit box stays on the model's page.

    shown     what the pages share
    services  the services in words; a service's form; removing a service or interim option
    model     an interim option's form, the settings' form, a new model's form
"""

from __future__ import annotations

from fastapi import APIRouter

from placeplan.capacity.form_pages import model, services

router = APIRouter(include_in_schema=False)
router.include_router(services.router)
router.include_router(model.router)
