"""Background jobs: work too long for a web request (a merged chronology as PDF, the Executive
Partnership report, a long re-import), run by a Celery worker while the person who asked watches
its progress on a page of its own.

- `models.Job`: one row per request: its kind, who asked, when, its status and progress, a
  message, the result file, its parameters (JSON) and the object it is about.
- `registry.register_job(kind, fn)`: each app plugs in its work from its AppConfig.ready();
  `fn(job, progress)` calls `progress(done, total)` as it goes and returns the result file (or
  None).
- `services.job_start(...)` records a job and queues it after commit; `services.job_run(job_id)`
  (the `lcspr.core.tasks.run_job` task) runs it, saving progress, and records a failure with its
  message.
- `selectors.job_get(...)`, `views.job_page(...)` and `views.job_file(...)`: the job (404 when it
  is not the caller's to see), the one progress page and the download, for the apps' own views,
  which keep their own URLs and their own access checks.
"""
