"""Every change of state in associations: one module per area.

- common.py: numbering and the audit scope shared by the others
- associations.py: associations, their members and photos
- volunteers.py: volunteer registration, guardians' consent, teams, the community's rules
- activities.py: activities, sign-up and the waiting list
- attendance.py: QR check-in/out, check-in from the list, attendance entered afterwards
- records.py: attestation (four eyes), service records, corrections by reversal
- certificates.py: certificates of volunteer service
"""
