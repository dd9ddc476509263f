"""WAGTAIL_FINISH_WORKFLOW_ACTION. Wagtail imports it while its models load, so the work is imported lazily."""


def finish_workflow(workflow_state, user=None) -> None:
    from workflow.approval.services import mark_approved

    mark_approved(workflow_state=workflow_state, user=user)
