"""Emulation registration (đăng ký thi đua) and award proposals (hồ sơ đề nghị khen thưởng) routed
between levels, checked against the rules in force before they are sent (issue 17).

Built on the records database (``records``), officers' accounts (``accounts``) and the award
catalogue (``awards``)."""
