"""Serializers for the accounts API."""
from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

from .models import Address, Profile, User


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = [
            "id", "label", "full_name", "line1", "line2", "city", "postal_code",
            "region", "country_code", "phone_number", "is_default_shipping", "is_default_billing",
        ]
        read_only_fields = ["id", "is_default_shipping", "is_default_billing"]

    def validate_country_code(self, value):
        value = value.strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise serializers.ValidationError("Use an ISO 3166-1 alpha-2 country code.")
        return value


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = ["bio", "avatar_url", "date_of_birth", "preferred_currency", "locale", "store_name", "store_slug"]
        read_only_fields = ["store_slug"]


class UserSerializer(serializers.ModelSerializer):
    profile = ProfileSerializer(read_only=True)
    display_name = serializers.CharField(read_only=True)
    email_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id", "username", "email", "first_name", "last_name", "display_name", "role",
            "email_verified", "marketing_opt_in", "date_joined", "profile",
        ]
        read_only_fields = ["id", "username", "email", "role", "date_joined"]


class RegistrationSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, min_length=10)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    marketing_opt_in = serializers.BooleanField(default=False)

    def validate_password(self, value):
        validate_password(value)
        return value


class BecomeSellerSerializer(serializers.Serializer):
    store_name = serializers.CharField(max_length=120)
