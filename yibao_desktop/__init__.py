"""医保定点管理桌面系统 (yibao-desktop)."""


def app_version() -> str:
    """The installed version (pyproject.toml; build.spec copies the metadata into the frozen bundle)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("yibao-desktop")
    except PackageNotFoundError:
        return "（未知）"
