Attribute VB_Name = "xlperf"
' xlperf buttons: each macro runs one function of the installed xlperf
' Python package through xlwings' RunPython (module xlwings in this project).
'
' The Python module is hard-coded on purpose. The xlwings sample macro
' derives "import <name>" from ThisWorkbook.Name, but staff rename and copy
' workbooks: a name with Chinese characters, spaces or a copy suffix such as
' " (1).xlsm" is not an importable Python module, so the import would fail.
' xlperf finds the workbook itself through xlwings.Book.caller().
'
' Keep this file ASCII: the VBA project uses code page 1252.
Option Explicit

Public Sub Score()
    RunPython "import xlperf.excel; xlperf.excel.score()"
End Sub

Public Sub Check()
    RunPython "import xlperf.excel; xlperf.excel.check()"
End Sub

Public Sub ExportReport()
    RunPython "import xlperf.excel; xlperf.excel.export_report()"
End Sub
