"""The HTTP layer over the search core: the FastAPI app, its dependencies, routes, response
schemas, middleware (CORS, rate and body limits, security headers), the page and the widget."""
