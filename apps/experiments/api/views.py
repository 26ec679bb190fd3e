"""Experiments API: flag evaluation for other services, the analyst's calculator, dashboard JSON."""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.service_auth import HasServiceAuth

from .. import stats
from ..public import evaluate, evaluate_all
from ..selectors.common import date_range_from
from ..selectors.experiments import experiment_get, experiment_list, experiment_results, experiment_summary
from ..selectors.guest_checkout import guest_checkout_dashboard
from ..selectors.payments import payment_method_dashboard
from .permissions import IsStaffOrService
from .serializers import (
    AnalysisSerializer,
    AnalyzeInputSerializer,
    DateRangeQuerySerializer,
    ExperimentListOutputSerializer,
    ExperimentResultsOutputSerializer,
    FlagsEvaluateInputSerializer,
    FlagsEvaluateOutputSerializer,
    GuestCheckoutDashboardSerializer,
    PaymentMethodDashboardSerializer,
)


class FlagsEvaluateApi(APIView):
    """`POST /api/v1/flags/evaluate` `{"context": {...}}` → `{"flags": {key: value}}` (service auth)."""

    permission_classes = [HasServiceAuth]
    authentication_classes: list = []

    @extend_schema(request=FlagsEvaluateInputSerializer, responses={200: FlagsEvaluateOutputSerializer},
                   tags=["flags"])
    def post(self, request):
        serializer = FlagsEvaluateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        context = serializer.validated_data["context"]
        keys = serializer.validated_data.get("flags")
        values = {key: evaluate(key, context, None) for key in keys} if keys else evaluate_all(context)
        return Response(FlagsEvaluateOutputSerializer({"flags": values}).data)


class ExperimentAnalyzeApi(APIView):
    """`POST /api/v1/experiments/analyze`: the statistics the results pages show, for any counts."""

    permission_classes = [IsStaffOrService]
    authentication_classes = [SessionAuthentication]

    @extend_schema(request=AnalyzeInputSerializer, responses={200: AnalysisSerializer}, tags=["experiments"])
    def post(self, request):
        serializer = AnalyzeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        analysis = stats.analyze(
            [stats.VariantCounts(**v) for v in data["variants"]], control=data["control"],
            planned_allocation=data.get("planned_allocation"), confidence_level=data["confidence_level"],
        )
        return Response(AnalysisSerializer(analysis).data, status=status.HTTP_200_OK)


class ExperimentListApi(APIView):
    permission_classes = [IsStaffOrService]
    authentication_classes = [SessionAuthentication]

    @extend_schema(responses={200: ExperimentListOutputSerializer}, tags=["analytics"],
                   operation_id="analytics_experiments_list")
    def get(self, request):
        summaries = [experiment_summary(e) for e in experiment_list()]
        return Response(ExperimentListOutputSerializer({"experiments": summaries}).data)


class ExperimentResultsApi(APIView):
    """Results of one experiment from its recorded events (overall, per segment, funnel)."""

    permission_classes = [IsStaffOrService]
    authentication_classes = [SessionAuthentication]

    @extend_schema(responses={200: ExperimentResultsOutputSerializer}, tags=["analytics"])
    def get(self, request, key: str):
        results = experiment_results(experiment=experiment_get(key_or_id=key))
        return Response(ExperimentResultsOutputSerializer(results).data)


class PaymentMethodsApi(APIView):
    """Per payment method: volume, funnel, AOV, error rate, and the time series."""

    permission_classes = [IsStaffOrService]
    authentication_classes = [SessionAuthentication]

    @extend_schema(parameters=[DateRangeQuerySerializer], responses={200: PaymentMethodDashboardSerializer},
                   tags=["analytics"])
    def get(self, request):
        dashboard = payment_method_dashboard(date_range=date_range_from(request.query_params))
        return Response(PaymentMethodDashboardSerializer(dashboard).data)


class GuestCheckoutApi(APIView):
    """Guest checkout monitoring: conversion over time, completion percentiles, flag distribution."""

    permission_classes = [IsStaffOrService]
    authentication_classes = [SessionAuthentication]

    @extend_schema(parameters=[DateRangeQuerySerializer], responses={200: GuestCheckoutDashboardSerializer},
                   tags=["analytics"])
    def get(self, request):
        dashboard = guest_checkout_dashboard(date_range=date_range_from(request.query_params))
        return Response(GuestCheckoutDashboardSerializer(dashboard).data)
