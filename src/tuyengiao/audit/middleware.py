from .services import begin_correlation, end_correlation


class CorrelationMiddleware:
    """Every audit entry written while serving one request shares one correlation id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = begin_correlation()
        try:
            return self.get_response(request)
        finally:
            end_correlation(token)
