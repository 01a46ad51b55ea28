"""Loading the policy profiles shipped in resources/profiles."""

from __future__ import annotations

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.policy import PROFILE_NAMES, PolicyProfile, resolve_profile
from yibao_desktop.paths import resources_dir


def profile_text(name: str) -> str:
    """The TOML text of a shipped profile."""
    if name not in PROFILE_NAMES:
        raise DomainError(f"未知的政策配置“{name}”，可选：{'、'.join(PROFILE_NAMES)}。", field="profile")
    return (resources_dir() / "profiles" / f"{name}.toml").read_text(encoding="utf-8")


def load_profile(name: str) -> PolicyProfile:
    """Parse and validate a shipped profile, following its `extends` chain (errors name the bad key)."""
    return resolve_profile(name, profile_text)
