from django.http import HttpRequest, HttpResponse


def person_import_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
