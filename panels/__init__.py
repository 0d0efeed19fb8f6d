"""Review panels: memberships that grant and revoke access, meetings and events."""
