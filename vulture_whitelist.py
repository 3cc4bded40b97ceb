"""Names `make lint`'s dead-code check (vulture, [tool.vulture] in pyproject.toml) cannot see
being used: called by a framework, read by a template or by name, or kept on purpose."""

# ruff: noqa
_ = object()

# Called by frameworks: Qt, http.server/socketserver, HTMLParser, SQLAlchemy, uvicorn (by
# its import string in commands/serve.py), Hypothesis' state machine, pytest hooks.
_.paint  # desktop/ui/my_list.py: QStyledItemDelegate.paint
_.do_POST  # bench/sink.py
_.log_message  # bench/sink.py
_.handle  # tests/reliability/fault_proxy.py
_.handle_starttag  # tests/security/test_console_pages.py
_.process_bind_param  # sync/hub/types.py: TypeDecorator
_.process_result_value
_.impl
_.cache_ok
_.isolation_level  # sync/hub/db.py: the SQLite driver's own transaction handling, off
_.model_config  # pydantic
app_from_environment  # sync/hub/commands/serve.py: uvicorn's --factory import string
_.should_exit  # tests/sync_client/live_hub.py: uvicorn.Server
_._content  # tests: requests.Response's body
_.first_calls  # tests/reliability/test_sync_model.py: Hypothesis rules and invariants
_.heal
_.restart_laptop
_.restart_hub
_.hub_holds_only_results_laptops_made
_.teardown
pytest_terminal_summary  # tests/reliability/conftest.py
make_initial_revisions  # sync/hub/migrate.py: `make migration-initial`
_.stdin_notifier  # tests/e2e/app_driver.py: keeps the QSocketNotifier alive
_.daemon_threads  # tests/reliability/fault_proxy.py: socketserver
volunteer_in_berlin  # pytest fixtures asked for by name for their effect
quiet_hub_log
_.rating  # tests/hub/test_review_findings.py: a wire field a newer laptop may add

# Read by the console's Jinja templates, or through locals() (the campaign forms).
_.households_left  # templates/_dashboard_live.html
_.review_waiting  # templates/base.html
hold_hours  # console/pages/campaigns.py: form fields collected with locals()
cooldown_minutes
retry_hours
lists_per_hour
lists_per_day

# Columns and record fields: written and stored (audit trails, the console), even where no
# Python code reads them back.
_.last_seen_at  # models.KnownDevice
_.decided_at  # models.HeldEffect
_.starred_by  # models.StarredItem
_.starred_at
_.read_by  # models.FeedbackRead
_.published_at  # models.ScriptDraft
_.release_pending  # desktop/store/reservations.ReservationRecord: the row as stored
_.households_moved  # crud/lists.MergeOutcome
_.total_tokens  # sync/hub/main.py: the body-size limiter's count

# Settings kept: tests/desktop/test_services_settings.py uses them (a typed optional id and
# an int the upgrade must not take from a bool).
_.last_list_id
_.sync_interval_seconds

# Qt virtual overrides Qt calls itself.
_.paintEvent  # desktop/ui/steady_layout.py

# Called by the initial migration (sync/hub/migrations, which vulture does not read; the
# template script.py.mako writes the call).
_.create_trigram_indexes  # sync/hub/word_search.py
