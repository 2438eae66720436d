"""The stakeholder register: organisations, their TechNet circles, their part in subprojects,
and their contact persons (personal data, kept as the AVG asks)."""
