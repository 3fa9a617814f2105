from xlperf.examples import build_example_workbook, example_workbook

build_example_workbook(example_workbook())
print(example_workbook())
