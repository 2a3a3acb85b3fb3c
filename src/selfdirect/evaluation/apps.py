from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "selfdirect.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation of outcomes (survey analysis)"
