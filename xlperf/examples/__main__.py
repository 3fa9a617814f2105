from xlperf.examples import build_example_workbook, build_made_up, example_workbook, made_up_ids, made_up_json, made_up_workbook

build_example_workbook(example_workbook())
print(example_workbook())
for profile_id in made_up_ids():
    build_made_up(profile_id, made_up_json(profile_id), made_up_workbook(profile_id))
    print(made_up_workbook(profile_id))
