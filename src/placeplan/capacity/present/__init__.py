"""How capacity models and runs are shown and answered: display formatting (`format`), chart
geometry (`charts`, `fan_svg`), CSV tables (`tables`), the API's schemas (`schemas`) and the
parameters pages and API read (`params`). No Session, no queries."""
