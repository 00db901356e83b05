// NHS.UK frontend's components (base.html).
import { initAll } from '/static/nhsuk/nhsuk-frontend.min.js';

initAll();
