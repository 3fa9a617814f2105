"""Edit a workbook the way staff do, in real LibreOffice, over UNO; run with the system python3.

    /usr/bin/python3 lo_edit.py SRC DST JSON_ACTIONS

Actions (a JSON list), applied in order:
    ["insert", sheet, row, count]        insert ``count`` rows above 1-based ``row``
    ["set", sheet, cell, value]          type a value (number or text) into a cell
    ["rename", sheet, new_name]          rename a sheet
Sheet protection is lifted while editing and put back (without a password), as
Excel allows inserting rows on these sheets.  The result is saved as .xlsx.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def cell_position(ref):
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return col - 1, int(digits) - 1


def main():
    src, dst, actions = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    profile = tempfile.mkdtemp(prefix="xlperf_lo_")
    pipe = f"xlperf_{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, (prop("Hidden", True),))
        sheets = doc.getSheets()
        for action in actions:
            kind, name = action[0], action[1]
            sheet = sheets.getByName(name)
            sheet.unprotect("")
            if kind == "insert":
                sheet.getRows().insertByIndex(action[2] - 1, action[3])
            elif kind == "set":
                col, row = cell_position(action[2])
                cell = sheet.getCellByPosition(col, row)
                if isinstance(action[3], (int, float)):
                    cell.setValue(action[3])
                else:
                    cell.setString(action[3])
            elif kind == "rename":
                sheet.setName(action[2])
            sheet.protect("")
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
