"""Recognising a 自评表 by its labels, whoever made it (a 财政局 template, WPS, a provincial system).

Steps, shared by xlperf workbooks and foreign forms:

1. ``grid.load_grids`` reads every sheet of a file (.xlsx/.xlsm through the safe package gate,
   .xls/.ods/.et through python-calamine) into value grids with their merged ranges;
2. ``identify.identify`` tells an xlperf workbook (its 设置 sheet) from a foreign form;
3. ``locate.find_forms`` finds each 自评表 in the grids by its header labels (``vocabulary``):
   the indicator table (any column order, merged and two-row headers), the funds block, the
   project header, the goal texts and the printed 总分;
4. ``read.read_form`` turns the blocks found into an ``Evaluation``; whatever cannot be
   placed becomes a finding with its cell.

``open_any`` (``xlperf.forms.open``) runs the whole chain for one file.
"""
