"""What tests share besides personas and factories: the browser, mail servers, Celery
processes, and every URL of the site."""
