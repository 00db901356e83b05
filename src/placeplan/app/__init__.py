"""The composition roots: the web application factory, the home page that draws on every concept,
and the wiring that fills the hooks earlier concepts declare for later ones."""
